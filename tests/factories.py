import factory
from allauth.account.models import EmailAddress

from networks.models import SupportSource
from recovery_support.models import User

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("first_name")
    time_zone = "America/New_York"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class CounselorFactory(UserFactory):
    is_professional = True

    @factory.post_generation
    def two_factor(user, create, extracted, **kwargs):
        """Counselors reach clients' data only with TOTP set up: give them one unless
        a test asks for a counselor who has not (two_factor=False)."""
        if create and extracted is not False:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())


class SupportSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportSource

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Source {n}")
    category = "friend"
    relationship = "friend"
    support_types = factory.LazyFunction(lambda: ["emotional"])
    closeness = 3
    influence = "supports"
