"""The index of names, for editors: `python -m pipeline names suggest`
proposes the persons a manuscript names (see suggest.py); names.yaml is the
register they curate (schema in pipeline/registers.py)."""
