from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from .models import Membership


class SignInForm(AuthenticationForm):
    """Django's sign-in form; django-axes counts its failures for the rate limit."""


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="For password resets and invitations.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def validate_password_for_user(self, user, password_field_name="password1"):
        """The password's rules are checked on the password itself (Django puts what they
        say under the confirmation), so each message stands beside the field it is about."""
        super().validate_password_for_user(user, password_field_name=password_field_name)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, initial="My token")
