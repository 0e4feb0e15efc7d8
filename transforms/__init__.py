"""wiretrace's work: pure functions over the element dataclasses, and the thin Beam
PTransforms that wrap them. Modules that do not import apache_beam are the pure core:
text, sketch, match, components, passages, provenance, maps, metadata, readers, model."""
