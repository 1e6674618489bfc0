/// Lists in the web UI (issue 5): every order a list offers besides its default gets an index ending in the id, so
/// a page sorted by amount or close date is an index range however many deals a director sees; and saved views, a
/// user's named filter and order of one list. Orders, activities and leads keep their one order: their tables are
/// the big ones, and each index there would slow the imports (issue 4's floor). Activities of one kind, newest first
/// (calls, open tasks) get (kind, occurred_at, id): with only (kind, occurred_on) SQLite 3.54 read every activity of
/// the kind and sorted them (a director's open tasks took 90 ms at scale M, calls far more). A contact's page lists
/// the contact's activities, newest first. A company's own lead sources sit beside the standard ones. Unanswered new leads by owner (a head's team page, my
/// day) are a few dozen among a hundred thousand; with statistics the planner took each owner's leads instead. The board reads a pipeline's open deals and those closed this month, each an
/// index range of its own.
extension Migrations {
    static let listViews = Migration(13, "list sorts and saved views", sql: """
        CREATE INDEX accounts_created ON accounts (created_at, id);
        CREATE INDEX contacts_created ON contacts (created_at, id);
        CREATE INDEX deals_title ON deals (LOWER(title), id);
        CREATE INDEX deals_amount ON deals (amount_minor, id);
        CREATE INDEX deals_close ON deals ((COALESCE(expected_close_on, 2147483647)), id);
        CREATE INDEX products_sku_sort ON products (LOWER(sku), id);
        CREATE INDEX products_price ON products (price_minor, id);
        CREATE INDEX deals_open_stage ON deals (pipeline_id, stage_id, updated_at) WHERE status = 'open';
        CREATE INDEX deals_closed_at ON deals (pipeline_id, closed_at) WHERE status <> 'open';
        CREATE INDEX leads_unanswered ON leads (owner_id, received_at) WHERE status = 'new' AND first_response_at IS NULL;
        CREATE INDEX activities_contact ON activities (contact_id, occurred_at, id);
        CREATE INDEX activities_kind_occurred ON activities (kind, occurred_at, id);
        CREATE TABLE lead_sources (
            id {id},
            key TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            position INTEGER NOT NULL
        );
        CREATE TABLE saved_views (
            id {id},
            owner_id BIGINT NOT NULL REFERENCES users (id),
            list TEXT NOT NULL,
            name TEXT NOT NULL,
            query TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            UNIQUE (owner_id, list, name)
        )
        """)
}
