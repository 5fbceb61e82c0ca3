"""Transfer Learning Studio: the app's own code (tabs, model resolution, pre/post-processing)."""
