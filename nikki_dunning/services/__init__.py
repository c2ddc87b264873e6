from . import case_file
from . import planning
from . import phone
