# Lawful basis, consent history and privacy notices arrive with the data protection
# issue; the app exists now so that the layout (and its migrations) starts in place.
