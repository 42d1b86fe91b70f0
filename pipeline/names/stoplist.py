"""Capitalised words that are not persons, in lower case: places, bodies,
titles, calendar words, words that open sentences. Kept short: the book's
own lower-case words and wordfreq catch most common words."""

STOP_WORDS = frozenset("""
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
lunes martes miércoles jueves viernes sábado domingo
europa rusia francia alemania españa bélgica italia inglaterra méxico brasil suiza austria polonia
ucrania siberia asia américa china japón turquía hungría rumania finlandia suecia noruega holanda
parís moscú petrogrado leningrado berlín bruselas madrid barcelona londres viena roma kiev odesa
marsella lyon ginebra praga varsovia nueva york oremburgo cracovia pekín cantón shanghái
san santa santo saint sainte sint rue calle avenida bulevar boulevard plaza puente
partido comité consejo congreso unión internacional federación confederación sindicato
ejército guardia checa gpu cheka soviet soviets república imperio estado gobierno iglesia
revolución guerra mundial paz tratado oposición izquierda derecha centro bloque frente
universidad academia instituto museo biblioteca editorial ediciones éditions editions
journal revue gallimard grasset payot seuil maspero rieder denoël plon stock flammarion
pp p cf ibid op cit vol vols cap trad ed eds éd
dios señor señora don doña monsieur madame
""".split())
