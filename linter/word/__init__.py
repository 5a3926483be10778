"""Word drafts (.docx): read what Word stores, convert it to the report format in memory with a
map from each stretch of the generated text back to what the writer sees in Word (heading,
paragraph number, table, row, column), check it with the normal engine, and translate the
findings' locations through the map.

- ``package``: the file as a ZIP package, with its size and ratio capped before any XML is parsed.
- ``reader``: paragraphs, headings (styles, outline levels, numbering as Word displays it),
  tables (merged cells, header rows), check boxes, tracked changes, footnotes, properties.
- ``convert``: the report-format text and its source map.
- ``location``: a location as the writer sees it, described in nb/en (no python-docx needed).
- ``check``: what the engine calls for a .docx.

python-docx is the optional extra ``rapportlint[word]``, imported only when a .docx is read.
"""
