"""report.html: a self-contained, offline HTML view of one run's provenance map.

`load` reads an output folder, `page` turns its rows into the page's data (pure),
`charts` lays out the overview's SVG charts (pure), `render` fills the Jinja2 template.
"""

from transforms.quiet import import_beam_quietly as _import_beam_quietly

_import_beam_quietly()  # here too: the report's parts are read in worker processes
