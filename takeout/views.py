"""Views of takeout."""
