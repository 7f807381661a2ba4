"""Demo content for `manage.py load_demo`: texts in `content`, pictures in `images`."""
