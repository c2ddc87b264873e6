from . import case_file
from . import planning
from . import phone
from . import legal_costs
from . import interest
from . import claim
from . import delivery
from . import letter
