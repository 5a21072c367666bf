"""Exchange with other QDA programs: REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``).

- ``refi_export.export_refi(project, path)`` writes a ``.qdpx`` that validates against Project.xsd;
- ``refi_import.import_refi(project, path)`` reads one (all or nothing);
- ``qdc`` writes and reads REFI-QDA codebooks and turns them into qualcode YAML codebooks;
- archives are opened through ``qualcode.safezip`` (path traversal, zip bombs, XML entities).
"""
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
