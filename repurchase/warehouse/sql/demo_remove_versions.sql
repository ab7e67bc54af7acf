-- demo_remove_versions: every registered model version (all made from demo data when the demo
-- is removed), whose folders go after the commit.
-- params: none
-- returns: version
select
    version
from model_versions
