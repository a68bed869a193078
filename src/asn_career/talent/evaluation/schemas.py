"""API shapes of the career-system evaluation."""

from pydantic import BaseModel, Field


class EvaluationSource(BaseModel):
    table: str
    rows: int | None = Field(
        description="Rows of the table behind the figure; null when read but not counted."
    )


class EvaluationFigure(BaseModel):
    code: str
    name_en: str
    name_id: str
    definition_en: str
    definition_id: str
    unit: str = Field(description="`share` (0–1), `ratio`, `level`, `scale` (1–5), `index`.")
    better: str = Field(description="`higher` or `lower` is better.")
    status: str = Field(description="`ok`, or `no_data` when the data behind it is absent.")
    value: float | None
    previous_value: float | None = Field(description="The same figure for the year before.")
    trend: str = Field(description="`up`, `down`, `flat` or `no_data`.")
    sources: list[EvaluationSource]
    counts: dict[str, float] = Field(description="The counts the value was computed from.")
    note: str | None = None


class MeritIndicatorOut(BaseModel):
    code: str
    figure: str
    text_en: str
    text_id: str
    value: float | None
    verdict: str = Field(description="`supports`, `contradicts`, `inconclusive`, `no_data`.")
    threshold_en: str
    threshold_id: str


class MeritAspectOut(BaseModel):
    code: str
    name_id: str
    name_en: str
    has_data: bool = Field(description="False: this service holds no data for the aspect.")
    indicators: list[MeritIndicatorOut]
    supported: int
    contradicted: int


class CareerEvaluationOut(BaseModel):
    agency_code: str
    agency_name: str
    year: int
    figures: list[EvaluationFigure]
    merit: list[MeritAspectOut]
