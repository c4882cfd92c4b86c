app_name = "takeout"

urlpatterns: list = []
