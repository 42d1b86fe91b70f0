"""Neutral helpers on text that every stage may import, and that import no
stage: the Pandoc AST (`ast`), XML ids and slugs (`ids`), XHTML fragments
(`fragments`), what counts as an acronym (`words`)."""
