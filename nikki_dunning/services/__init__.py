from . import receivables_problem
from . import receivables_values
from . import receivables_columns
from . import receivables_rows
from . import receivables_matching
from . import receivables_file
from . import case_file
from . import planning
