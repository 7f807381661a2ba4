from django.conf import settings


def site(request):
    """Site name and tagline for every template."""
    return {"site_name": settings.SITE_NAME, "site_tagline": settings.SITE_TAGLINE}
