"""The JSON API under /api/v1/ (schema at /api/v1/openapi.json, docs at /api/v1/docs)."""

from ninja import NinjaAPI

from doorstep.advocacy.api import public as laws_public_router
from doorstep.advocacy.api import router as laws_router
from doorstep.core.api import install_error_handlers, install_input_checks
from doorstep.core.import_api import router as imports_router
from doorstep.elections.api import public as elections_public_router
from doorstep.elections.api import router as elections_router
from doorstep.governance.api import router as governance_router
from doorstep.grievances.api import router as grievances_router
from doorstep.insights.api import router as insights_router
from doorstep.market.api import public as market_public_router
from doorstep.market.api import router as market_router
from doorstep.members.api import router as members_router
from doorstep.messaging.api import router as messaging_router
from doorstep.network.api import public as network_public_router
from doorstep.network.api import router as network_router
from doorstep.organizations.api import auth_router
from doorstep.organizations.api import router as organizations_router
from doorstep.organizations.auth import SessionAuth, TokenAuth
from doorstep.protection.api import router as protection_router
from doorstep.relief.api import router as relief_router
from doorstep.supplychains.api import router as parties_router
from doorstep.surveys.api import router as surveys_router
from doorstep.work.api import router as work_router

api = NinjaAPI(
    title="Doorstep API",
    version="1",
    description=(
        "The JSON API of Doorstep. Authenticate with a personal token: `POST /api/v1/auth/token` with "
        "your username and password, then send `Authorization: Bearer <token>`. Lists use cursor "
        "pagination (`?limit=`, `?cursor=`); errors have the shape "
        '`{"detail", "code", "errors": [{"field", "message"}]}`. See docs/api.md.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
install_error_handlers(api)
install_input_checks(api)
api.add_router("/", auth_router)
api.add_router("/", organizations_router)
api.add_router("/", members_router)
api.add_router("/", imports_router)
api.add_router("/", parties_router)
api.add_router("/", work_router)
api.add_router("/", surveys_router)
api.add_router("/", insights_router)
api.add_router("/", grievances_router)
api.add_router("/", protection_router)
api.add_router("/", network_router)
api.add_router("/", network_public_router)
api.add_router("/", laws_router)
api.add_router("/", laws_public_router)
api.add_router("/", governance_router)
api.add_router("/", elections_router)
api.add_router("/", elections_public_router)
api.add_router("/", messaging_router)
api.add_router("/", market_router)
api.add_router("/", market_public_router)
api.add_router("/", relief_router)
