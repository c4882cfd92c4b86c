"""Emails of the reviews app: the testimony request link to a contact."""

from django.core.mail import send_mail

from reviews.models import TESTIMONY_LINK_DAYS, TestimonyRequest


def testimony_request_send(request: TestimonyRequest, *, link: str) -> None:
    recruiter = request.owner.get_full_name() or request.owner.username
    message = request.message.strip()
    send_mail(
        subject=f"{recruiter} asks for a short testimony",
        message=(
            f"Hello {request.contact.first_name},\n\n"
            f"{recruiter} would be grateful for a few words about working with them"
            f"{': ' + message if message else '.'}\n\n"
            f"The link works once and for {TESTIMONY_LINK_DAYS} days:\n{link}\n"
        ),
        from_email=None,
        recipient_list=[request.contact.email],
    )
