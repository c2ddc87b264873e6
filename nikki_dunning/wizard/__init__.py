from . import receivables_import_column
from . import receivables_import
from . import dunning_hold_wizard
from . import dunning_call_outcome
from . import collection_recall_wizard
from . import collection_status_import
