"""DescentWatch's Python client: publish one event per evaluation of a training run.

    import descentwatch
    with descentwatch.Run(sweep_id="my-sweep", run_id="my-sweep/w64/s1", param_count=n_params,
                          train_size=len(ds), bootstrap="localhost:9092") as run:
        for epoch in ...:
            run.log(epoch, train_loss=..., test_loss=...)

Events follow the wire contract v1 (events/src/main/resources/schemas/epoch-v1.schema.json) and are checked
against it before they are sent. Kafka (confluent-kafka) is imported only when a run publishes to Kafka, PyTorch
never (param_count takes any module with .parameters()).
"""

from .contract import ContractError, validate_event
from .run import DeliveryError, Run, param_count

__all__ = ["Run", "ContractError", "DeliveryError", "param_count", "validate_event"]
__version__ = "0.1.0"
