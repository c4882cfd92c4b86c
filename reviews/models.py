# Relationship reviews, reflections and testimonies arrive with the reviews issue;
# the app exists now so that the layout (and its migrations) starts in place.
