import factory

from tuopin.jobs.models import Job, JobKind, JobStatus


class JobFactory(factory.django.DjangoModelFactory[Job]):
    class Meta:
        model = Job

    kind = JobKind.REGISTRY_EXPORT
    status = JobStatus.DONE
    params = factory.LazyFunction(lambda: {"permission": "imports.export_registry"})
