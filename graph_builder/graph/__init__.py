"""Graph views of the model: RDF (rdflib Dataset) and NetworkX, with IRIs from one module."""
