from apps.orgs.models import Organisation, membership_paths
from apps.orgs.permissions import Roles
from apps.orgs.stages import STAGES


def navigation(request):
    """Organisations the user can switch to, the current one and the seven stages for the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ids = {int(path.strip("/").split("/")[-1]) for path, _role in membership_paths(user)}
    return {
        "my_orgs": list(Organisation.objects.filter(pk__in=ids).only("pk", "short_name", "kind")),
        "current_org": getattr(request, "org", None),
        "current_roles": getattr(request, "roles", Roles()),
        "stages": STAGES,
    }
