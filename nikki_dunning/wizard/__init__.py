from . import dunning_hold_wizard
from . import dunning_call_outcome
