import factory
from factory.django import DjangoModelFactory, Password

from progress.models import AcademicYear, Role, School, Trust, User

PASSWORD = "correct-horse-battery"


class TrustFactory(DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Learning Trust {n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    trust = factory.SubFactory(TrustFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    urn = factory.Sequence(lambda n: f"{300000 + n}")
    la_code = "999"
    establishment_number = factory.Sequence(lambda n: f"{2000 + n:04d}")
    phase = School.Phase.PRIMARY


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@school.example")
    display_name = factory.Faker("name", locale="en_GB")
    school = factory.SubFactory(SchoolFactory)
    password = Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.set_roles(extracted if extracted is not None else [Role.TEACHER])


class AcademicYearFactory(DjangoModelFactory):
    """A school year with its six standard half-terms."""

    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    start_year = 2026

    @classmethod
    def _create(cls, model_class, *, school, start_year):
        return model_class.objects.create_standard(school=school, start_year=start_year)
