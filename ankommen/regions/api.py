"""Public reference data over the API: districts, municipalities, centres, schools, postcodes, occupations."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ankommen.api.paging import PageNumberPagination
from ankommen.regions import selectors
from ankommen.regions.forms import QUERY_MAX_LENGTH
from ankommen.regions.models import Centre, Municipality, Occupation, Postcode, Region, School, SchoolForm

TAGS = ["reference data"]
PAGE_SIZE = 25

router = Router(tags=TAGS, auth=None)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class RegionOut(Schema):
    key: str = Field(description="Official district key (Kreisschlüssel, 5 digits).")
    name: str
    kind: str = Field(description="city, district or city_region.")
    administrative_region: str
    area_km2: float
    population: int
    latitude: float
    longitude: float


class MunicipalityOut(Schema):
    key: str = Field(description="Official municipality key (AGS, 8 digits).")
    name: str
    region_key: str = Field(alias="region.key")
    centre_slug: str = Field(alias="centre.slug", description="The centre that serves the municipality.")
    kind: str
    area_km2: float
    population: int
    postcode: str = Field(description="Postcode of the town hall.")
    latitude: float
    longitude: float


class CentreOut(Schema):
    slug: str
    name: str
    operator: str
    operator_kind: str
    region_key: str = Field(alias="region.key")
    region_name: str = Field(alias="region.name")
    administrative_region: str = Field(alias="region.administrative_region")
    population_served: int
    latitude: float = Field(description="The district's midpoint, not the centre's address.")
    longitude: float


class MunicipalityReferenceOut(Schema):
    key: str
    name: str


class SchoolFormCountOut(Schema):
    form: SchoolForm
    count: int


class CentreDetailOut(CentreOut):
    municipalities: list[MunicipalityReferenceOut] = Field(description="The municipalities the centre serves.")
    school_counts: list[SchoolFormCountOut] = Field(description="Schools in those municipalities per school form.")

    @staticmethod
    def resolve_municipalities(centre: Centre) -> list[Municipality]:
        return list(selectors.centre_municipalities(centre=centre))

    @staticmethod
    def resolve_school_counts(centre: Centre) -> list[selectors.SchoolFormCount]:
        return selectors.centre_school_counts(centre=centre)


class SchoolOut(Schema):
    number: str = Field(description="Official school number (6 digits).")
    name: str
    form: SchoolForm
    form_label: str = Field(description="The school form as published by IT.NRW.")
    municipality_key: str = Field(alias="municipality.key")
    street: str
    postcode: str
    place: str
    is_public: bool
    pupils: int | None = Field(description="Rounded to multiples of 5.")
    social_index: int | None = Field(description="1 (least) to 9 (most social challenge); none for some forms.")
    is_startchancen: bool
    latitude: float | None
    longitude: float | None
    coordinates_source: str


class PostcodeOut(Schema):
    code: str
    places: list[str]
    region_key: str
    latitude: float
    longitude: float

    @staticmethod
    def resolve_places(postcode: Postcode) -> list[str]:
        return postcode.places.split("|")

    @staticmethod
    def resolve_region_key(postcode: Postcode) -> str:
        return postcode.region.key


class OccupationOut(Schema):
    uri: str = Field(description="ESCO URI.")
    isco_code: str = Field(description="ISCO-08 unit group (4 digits).")
    label: str
    synonyms: list[str]
    definition: str

    @staticmethod
    def resolve_synonyms(occupation: Occupation) -> list[str]:
        return [synonym for synonym in occupation.alternative_labels.splitlines() if synonym]


class MunicipalityFilter(Schema):
    region: str = Field("", max_length=5, description="Official key of a district.")


class SchoolFilter(Schema):
    q: str = Field("", max_length=QUERY_MAX_LENGTH, description="Words of the school's name.")
    place: str = Field("", max_length=QUERY_MAX_LENGTH)
    form: SchoolForm | None = None


class OccupationFilter(Schema):
    q: str = Field("", max_length=QUERY_MAX_LENGTH, description="Words of the label or a synonym.")


@router.get("/regions", response=list[RegionOut], operation_id="listRegions", summary="The 53 districts")
def list_regions(request: HttpRequest) -> list[Region]:
    return list(selectors.region_list())


@router.get(
    "/regions/{key}", response={200: RegionOut, 404: ErrorOut}, operation_id="getRegion", summary="One district"
)
def get_region(request: HttpRequest, key: str) -> Region:
    return selectors.region_get(key=key)


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    operation_id="listMunicipalities",
    summary="The 396 municipalities, optionally of one district",
)
def list_municipalities(request: HttpRequest, filters: Query[MunicipalityFilter]) -> list[Municipality]:
    return list(selectors.municipality_list(region_key=filters.region))


@router.get("/centres", response=list[CentreOut], operation_id="listCentres", summary="The 54 integration centres")
def list_centres(request: HttpRequest) -> list[Centre]:
    return list(selectors.centre_list())


@router.get(
    "/centres/{slug}",
    response={200: CentreDetailOut, 404: ErrorOut},
    operation_id="getCentre",
    summary="One integration centre with its municipalities and schools",
)
def get_centre(request: HttpRequest, slug: str) -> Centre:
    return selectors.centre_get(slug=slug)


@router.get("/schools", response=list[SchoolOut], operation_id="listSchools", summary="Search the schools of NRW")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_schools(request: HttpRequest, filters: Query[SchoolFilter]) -> object:
    return selectors.school_search(
        query=filters.q, place=filters.place, form=filters.form.value if filters.form else ""
    )


@router.get(
    "/schools/{number}", response={200: SchoolOut, 404: ErrorOut}, operation_id="getSchool", summary="One school"
)
def get_school(request: HttpRequest, number: str) -> School:
    return selectors.school_get(number=number)


@router.get(
    "/postcodes/{code}",
    response={200: PostcodeOut, 404: ErrorOut},
    operation_id="getPostcode",
    summary="One postcode with its places and coordinates",
)
def get_postcode(request: HttpRequest, code: str) -> Postcode:
    return selectors.postcode_get(code=code)


@router.get(
    "/occupations",
    response=list[OccupationOut],
    operation_id="listOccupations",
    summary="Search the ESCO occupations (German)",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_occupations(request: HttpRequest, filters: Query[OccupationFilter]) -> object:
    return selectors.occupation_search(query=filters.q)
