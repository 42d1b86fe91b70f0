"""The titles suggestion's citation cue: runs before a city, publisher or year in a note."""

from pipeline.importer import titles


def _runs(text):
    return [m.group(1).strip(" .") for m in titles._citations(text)]


def test_a_title_before_its_city_or_year_is_suggested():
    note = ("[^20]: Sobre Savinkov, véase: sus Souvenirs d’un terroriste, París, Champ Libre, 1982; "
            "cf. también sus Câbles et Reportages, París, idem, 2007; L’Homme qui s’évada, 1928.")
    assert _runs(note) == ["Souvenirs d’un terroriste", "Câbles et Reportages", "L’Homme qui s’évada"]


def test_publishers_single_words_body_text_and_set_titles_are_not():
    note = "[^3]: Véase Champ Libre, París, Gallimard, 1930; y en Moscú, 1921; *[Le Feu noir]{lang=fr}*, París, 2006."
    runs = _runs(note)
    assert "Gallimard" not in runs and "Moscú" not in runs and not any("Feu noir" in r for r in runs)
    assert runs == ["Véase Champ Libre"]  # a run before a city: the editor strikes what is no title
    assert _runs("Lo publicó en Souvenirs d’un terroriste, París, 1982.") == []  # not a note
