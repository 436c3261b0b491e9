"""Account pages: sign up, profile with API tokens, organizations, members and invitations."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cmc.core.errors import Conflict, InvalidInput

from . import selectors, services
from .forms import InvitationForm, OrganizationForm, ProfileForm, RoleForm, SignUpForm, TokenForm


def _next_page(request) -> str:
    """Where the person was going (`next`) if it is a page of this site, as sign-in checks it;
    else ''. Never another site, nor a `javascript:` address."""
    url = request.POST.get("next", request.GET.get("next", ""))
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


@require_http_methods(["GET", "POST"])
def sign_up(request):
    form = SignUpForm(request.POST or None)
    next_page = _next_page(request)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}. Your account is ready.")
        # An address as given, never a view name: redirect() would try to resolve one.
        return HttpResponseRedirect(next_page or reverse("accounts:profile"))
    return render(request, "accounts/signup.html", {"form": form, "next": next_page})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("accounts:profile")
    context = {
        "form": form,
        "memberships": selectors.memberships_of(user=request.user),
        "tokens": request.user.api_tokens.order_by("created_at"),
        "token_form": TokenForm(),
        "organization_form": OrganizationForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        token, raw = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
        messages.success(
            request, f"New token '{token.name}': {raw} (copy it now; it is not shown again)."
        )
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request, prefix: str):
    services.revoke_api_token(user=request.user, prefix=prefix)
    messages.success(request, "The token was revoked.")
    return redirect("accounts:profile")


@login_required
@require_POST
def organization_create(request):
    form = OrganizationForm(request.POST)
    if form.is_valid():
        organization = services.create_organization(
            actor=request.user, name=form.cleaned_data["name"]
        )
        return redirect("accounts:organization", slug=organization.slug)
    messages.error(request, "Give the organization a name.")
    return redirect("accounts:profile")


def _member_org(request, slug):
    organization = selectors.organization_for_member(user=request.user, slug=slug)
    if organization is None:
        raise Http404("No such organization.")
    return organization


@login_required
def organization_detail(request, slug: str):
    organization = _member_org(request, slug)
    context = {
        "organization": organization,
        "members": selectors.members(organization=organization),
        "invitations": selectors.open_invitations(organization=organization),
        "my_role": services.role_in(organization, request.user),
        "invitation_form": InvitationForm(),
        "roles": RoleForm.base_fields["role"].choices,
        "frameworks": selectors.organization_frameworks(
            organization=organization, user=request.user
        ),
    }
    return render(request, "accounts/organization.html", context)


def _act(request, action) -> bool:
    """Run a service; a refusal becomes a message on the page, never an error page."""
    try:
        action()
    except (PermissionDenied, Conflict, InvalidInput) as error:
        messages.error(request, str(error))
        return False
    return True


@login_required
@require_POST
def organization_invite(request, slug: str):
    organization = _member_org(request, slug)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a valid email address and a role.")
    else:
        sent = _act(
            request,
            lambda: services.invite(
                actor=request.user, organization=organization, **form.cleaned_data
            ),
        )
        if sent:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    return redirect("accounts:organization", slug=slug)


@login_required
@require_POST
def organization_member(request, slug: str, username: str):
    organization = _member_org(request, slug)
    user = get_object_or_404(get_user_model(), username=username)
    if request.POST.get("remove"):
        removed = _act(
            request,
            lambda: services.remove_member(
                actor=request.user, organization=organization, user=user
            ),
        )
        if removed and user == request.user:
            return redirect("accounts:profile")
    else:
        form = RoleForm(request.POST)
        if form.is_valid():
            _act(
                request,
                lambda: services.change_role(
                    actor=request.user,
                    organization=organization,
                    user=user,
                    role=form.cleaned_data["role"],
                ),
            )
    return redirect("accounts:organization", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = selectors.invitation(token=token)
    if invitation is None:
        raise Http404("No such invitation.")
    if request.method == "POST":
        try:
            services.accept_invitation(user=request.user, token=token)
        except Conflict as error:
            messages.error(request, str(error))
            return redirect("accounts:profile")
        return redirect("accounts:organization", slug=invitation.organization.slug)
    return render(request, "accounts/invitation.html", {"invitation": invitation})
