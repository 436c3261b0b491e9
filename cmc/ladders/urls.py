app_name = "ladders"
urlpatterns: list = []
