"""factory_boy factories for occupations, their ratings and wages."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cmc.occupations.models import (
    AlternateTitle,
    EducationCategory,
    EducationRating,
    Element,
    ElementRating,
    Occupation,
    Task,
    Wage,
    domain_of,
)


class OccupationFactory(DjangoModelFactory):
    class Meta:
        model = Occupation

    code = factory.Sequence(lambda n: f"99-{1000 + n:04d}.00")
    soc_code = factory.LazyAttribute(lambda o: o.code[:7])
    title = factory.Sequence(lambda n: f"Occupation {n}")
    description = "Does the work of the occupation."
    job_zone = 3


class AlternateTitleFactory(DjangoModelFactory):
    class Meta:
        model = AlternateTitle

    occupation = factory.SubFactory(OccupationFactory)
    title = factory.Sequence(lambda n: f"Alternate title {n}")


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    occupation = factory.SubFactory(OccupationFactory)
    task_id = factory.Sequence(lambda n: 100000 + n)
    text = factory.Sequence(lambda n: f"Task {n}.")
    task_type = "Core"


class ElementFactory(DjangoModelFactory):
    class Meta:
        model = Element

    element_id = factory.Sequence(lambda n: f"2.A.9.{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    description = "What the skill is."
    domain = factory.LazyAttribute(lambda e: domain_of(e.element_id))


class ElementRatingFactory(DjangoModelFactory):
    class Meta:
        model = ElementRating

    occupation = factory.SubFactory(OccupationFactory)
    element = factory.SubFactory(ElementFactory)
    domain = factory.LazyAttribute(lambda r: r.element.domain)
    importance = 3.5
    level = 4.0


class EducationCategoryFactory(DjangoModelFactory):
    class Meta:
        model = EducationCategory
        django_get_or_create = ("scale_id", "category")

    element_id = "2.D.1"
    element_name = "Required Level of Education"
    scale_id = "RL"
    category = 2
    description = "High School Diploma - or the equivalent (for example, GED)"


class EducationRatingFactory(DjangoModelFactory):
    class Meta:
        model = EducationRating

    occupation = factory.SubFactory(OccupationFactory)
    element_id = "2.D.1"
    scale_id = "RL"
    category = 2
    percent = 50.0


class WageFactory(DjangoModelFactory):
    class Meta:
        model = Wage

    soc_code = "99-1000"
    area = "U.S."
    year = 2025
    title = "Occupation"
    employment = 1000
    hourly_mean = Decimal("30.00")
    annual_mean = 62400
    hourly_median = Decimal("28.00")
    annual_median = 58240
