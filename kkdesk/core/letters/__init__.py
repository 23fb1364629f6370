"""Reply letters: one document model, built from a case and the secretariat's templates,
read by two renderers (Word via python-docx, PDF via reportlab Platypus).

Modules: ``model`` (the plain-data letter), ``markup`` (the answer text markup),
``templates`` (editable texts with named fields, stored in the database), ``build``
(case → letter), ``styles`` (page geometry and named paragraph styles shared by both
renderers), ``docx_render`` and ``pdf_render``, ``filenames`` and ``export`` (the service
the UI and the command line call). The format is described in docs/letters.md.
"""
