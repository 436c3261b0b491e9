app_name = "occupations"
urlpatterns: list = []
