import factory
from django.contrib.auth.models import Group, User

from accounts.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Тест"
    last_name = "Корбар"
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            self.save()
            return
        for role in extracted:
            self.groups.add(Group.objects.get(name=role))
        self.save()


def user_with_role(role: Role | None, **kwargs) -> User:
    """A user in one role; None makes a superuser (the "admin" column of the roles table)."""
    if role is None:
        return UserFactory(is_superuser=True, is_staff=True, **kwargs)
    return UserFactory(roles=[role], **kwargs)
