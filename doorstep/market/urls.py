from django.urls import path

from . import views

urlpatterns = [
    path("orgs/<slug:org_slug>/market/", views.home, name="market_home"),
    path("orgs/<slug:org_slug>/market/products/<int:product_id>/", views.product, name="market_product"),
    path(
        "orgs/<slug:org_slug>/market/photos/<int:photo_id>/<str:size>.jpg", views.photo, name="market_photo"
    ),
    path("orgs/<slug:org_slug>/market/inquiries/", views.inquiries, name="market_inquiries"),
    path("orgs/<slug:org_slug>/market/partners/", views.partners, name="market_partners"),
    path("orgs/<slug:org_slug>/market/partners/<int:partner_id>/", views.partner, name="market_partner"),
    path("orgs/<slug:org_slug>/market/orders/", views.orders, name="market_orders"),
    path("orgs/<slug:org_slug>/market/orders/<int:order_id>/", views.order, name="market_order"),
    path("orgs/<slug:org_slug>/market/figures/", views.figures, name="market_figures"),
    path("orgs/<slug:org_slug>/market/trade/", views.trade, name="market_trade"),
    path("orgs/<slug:org_slug>/market/trade/<int:fact_id>/", views.trade_fact, name="market_trade_fact"),
    path("market/<slug:org_slug>/", views.catalogue, name="catalogue"),
    path(
        "market/<slug:org_slug>/products/<int:product_id>/", views.catalogue_product, name="catalogue_product"
    ),
    path(
        "market/<slug:org_slug>/photos/<int:photo_id>/<str:size>.jpg",
        views.catalogue_photo,
        name="catalogue_photo",
    ),
    path("market/<slug:org_slug>/catalogue.pdf", views.catalogue_pdf, name="catalogue_pdf"),
    path("market/<slug:org_slug>/feed.<str:fmt>", views.catalogue_feed, name="catalogue_feed"),
    path("market/<slug:org_slug>/inquiry/", views.catalogue_inquiry, name="catalogue_inquiry"),
]
