"""Request and response bodies for extra feedback cards."""

from __future__ import annotations

from pydantic import BaseModel, Field

from feedback.cards.service import EXTRA_CARDS

__all__ = ["ExtraCards", "CardsAdded"]


class ExtraCards(BaseModel):
    count: int = Field(ge=1, le=EXTRA_CARDS, description="how many more cards to mint")


class CardsAdded(BaseModel):
    extra: int = Field(description="cards this session now has beyond its counted attendance")
    limit: int = Field(description="the most it may have")
