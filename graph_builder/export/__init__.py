"""Export: views of the model written to files (JSON, RDF formats, GraphML, …)."""
