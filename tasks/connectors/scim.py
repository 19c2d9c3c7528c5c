"""SCIM 2.0 (RFC 7644): the users of any identity provider that speaks it.

Lists `/Users` with index paging (`startIndex`, 1-based, and `count`) until `totalResults` is
reached, reading the department from the enterprise extension (RFC 7643 §4.3). A department
filter uses the extension's full attribute path.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models.campaigns.directory import DirectoryUser
from tasks.connectors.base import ConnectorError, send

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCIM_JSON = "application/scim+json"


class ScimEmail(BaseModel):
    value: str
    primary: bool = False


class ScimEnterprise(BaseModel):
    department: str | None = None


class ScimName(BaseModel):
    formatted: str | None = None
    given_name: str | None = Field(None, alias="givenName")
    family_name: str | None = Field(None, alias="familyName")


class ScimUser(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    user_name: str = Field(alias="userName")
    display_name: str | None = Field(None, alias="displayName")
    name: ScimName | None = None
    emails: list[ScimEmail] = []
    active: bool = True
    enterprise: ScimEnterprise | None = Field(None, alias=ENTERPRISE)

    def to_directory(self) -> DirectoryUser:
        email = next((e.value for e in self.emails if e.primary), None) or (
            self.emails[0].value if self.emails else None)
        name = self.display_name or (self.name and (
            self.name.formatted or " ".join(filter(None, [self.name.given_name,
                                                          self.name.family_name]))))
        return DirectoryUser(
            external_id=self.id, name=name or self.user_name, email=email,
            department=self.enterprise.department if self.enterprise else None,
            enabled=self.active,
        )


class ListResponse(BaseModel):
    total_results: int = Field(alias="totalResults")
    start_index: int = Field(1, alias="startIndex")
    items_per_page: int | None = Field(None, alias="itemsPerPage")
    resources: list[ScimUser] = Field(default_factory=list, alias="Resources")


class ScimClient:
    """A SCIM 2.0 client over an injected httpx.Client (base_url = the SCIM root, e.g. …/scim/v2).

    Args:
        token: bearer token, if the server wants one.
        page_size: the `count` asked for; servers may return fewer, paging follows what came.
    """

    def __init__(self, client: httpx.Client, *, token: str | None = None, page_size: int = 500,
                 sleep: Callable[[float], None] = time.sleep):
        self.client = client
        self.headers = {"Accept": SCIM_JSON}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.page_size = page_size
        self.sleep = sleep

    def iter_user_pages(self, department: str | None = None) -> Iterator[list[DirectoryUser]]:
        """Yield the users page by page; `department` filters on the enterprise extension."""
        start = 1
        while True:
            params = {"startIndex": start, "count": self.page_size}
            if department is not None:
                escaped = department.replace("\\", "\\\\").replace('"', '\\"')
                params["filter"] = f'{ENTERPRISE}:department eq "{escaped}"'
            page = self._get_page(params)
            if page.resources:
                yield [user.to_directory() for user in page.resources]
            start += len(page.resources)
            if not page.resources or start > page.total_results:
                return

    def _get_page(self, params: dict) -> ListResponse:
        response = send(self.client, "GET", "/Users", params=params, headers=self.headers,
                        what="SCIM GET /Users", sleep=self.sleep)
        if not response.is_success:
            detail = response.text[:200]
            try:
                detail = response.json().get("detail", detail)
            except ValueError:
                pass
            raise ConnectorError(f"SCIM GET /Users: HTTP {response.status_code} {detail}",
                                 status=response.status_code,
                                 retryable=response.status_code >= 500)
        try:
            return ListResponse.model_validate_json(response.content)
        except ValidationError as exc:
            raise ConnectorError(f"SCIM GET /Users: not a ListResponse ({exc})") from exc
