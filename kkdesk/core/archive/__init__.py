"""Import of the existing archive of reply letters (.docx, .pdf text layer, .txt).

``readers`` turns a file into text, ``textclean`` undoes PDF extraction artefacts,
``letterparse`` recognises the letter's structure (``ParsedLetter``), ``dates`` reads
Danish date phrases, and ``importer`` saves letters as answered cases, one transaction
per letter.
"""
