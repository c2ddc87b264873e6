from . import dunning_hold_wizard
from . import collection_recall_wizard
from . import collection_status_import
