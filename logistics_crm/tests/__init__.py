from . import test_partner_profile
from . import test_access
from . import test_performance
from . import test_install
