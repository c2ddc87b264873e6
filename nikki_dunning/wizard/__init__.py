from . import receivables_import_column
from . import receivables_import
from . import dunning_hold_wizard
