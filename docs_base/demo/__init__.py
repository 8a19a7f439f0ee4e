"""Demo content of the document base and the REX (see ``loader``)."""
