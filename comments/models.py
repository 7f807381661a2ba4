"""Comment models arrive with the threaded-comments issue."""
