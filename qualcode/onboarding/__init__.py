"""Starting a study: ``init`` that checks its inputs first, the editable example study, and ``doctor``."""
