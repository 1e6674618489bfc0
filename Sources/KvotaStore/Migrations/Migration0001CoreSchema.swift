/// The core records of DESIGN.md. Conventions: ids are 64-bit integers; money is an integer of minor units beside
/// its ISO currency; instants (`*_at`) are UTC milliseconds since 1970; calendar dates (`*_on`, `valid_from`) are
/// `yyyymmdd` integers in the company's time zone, so both engines group them by plain arithmetic; every record a
/// user edits has a `version` for optimistic concurrency.
extension Migrations {
    static let coreSchema = Migration(1, "core schema", sql: """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE teams (
            id {id},
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('acquisition', 'retention', 'order_desk', 'other')),
            head_id BIGINT{forward:users},
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE users (
            id {id},
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('rep', 'order_desk', 'head', 'director', 'analyst', 'admin')),
            team_id BIGINT REFERENCES teams (id),
            manager_id BIGINT REFERENCES users (id),
            language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru', 'uk', 'sv')),
            phone_extension TEXT,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            password_hash TEXT,
            created_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX users_team ON users (team_id);
        CREATE UNIQUE INDEX users_extension ON users (phone_extension);
        CREATE TABLE regions (
            id {id},
            parent_id BIGINT REFERENCES regions (id),
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE channels (
            id {id},
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'dealer', 'distributor', 'retail', 'custom')),
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE accounts (
            id {id},
            name TEXT NOT NULL,
            legal_id TEXT UNIQUE,
            region_id BIGINT REFERENCES regions (id),
            channel_id BIGINT REFERENCES channels (id),
            owner_id BIGINT REFERENCES users (id),
            segment TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX accounts_owner ON accounts (owner_id);
        CREATE INDEX accounts_region ON accounts (region_id);
        CREATE INDEX accounts_channel ON accounts (channel_id);
        CREATE TABLE contacts (
            id {id},
            account_id BIGINT REFERENCES accounts (id),
            name TEXT NOT NULL,
            position TEXT,
            phone TEXT,
            email TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX contacts_account ON contacts (account_id);
        CREATE INDEX contacts_phone ON contacts (phone);
        CREATE INDEX contacts_email ON contacts (email);
        CREATE TABLE product_categories (
            id {id},
            parent_id BIGINT REFERENCES product_categories (id),
            name TEXT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE products (
            id {id},
            sku TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            category_id BIGINT NOT NULL REFERENCES product_categories (id),
            unit TEXT NOT NULL,
            price_minor BIGINT NOT NULL,
            cost_minor BIGINT NOT NULL,
            currency TEXT NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX products_category ON products (category_id);
        CREATE TABLE product_prices (
            product_id BIGINT NOT NULL REFERENCES products (id),
            valid_from INTEGER NOT NULL,
            price_minor BIGINT NOT NULL,
            cost_minor BIGINT NOT NULL,
            currency TEXT NOT NULL,
            PRIMARY KEY (product_id, valid_from)
        );
        CREATE TABLE exchange_rates (
            currency TEXT NOT NULL,
            valid_from INTEGER NOT NULL,
            base_micros BIGINT NOT NULL CHECK (base_micros > 0),
            PRIMARY KEY (currency, valid_from)
        );
        CREATE TABLE pipelines (
            id {id},
            name TEXT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE stages (
            id {id},
            pipeline_id BIGINT NOT NULL REFERENCES pipelines (id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
            outcome TEXT NOT NULL CHECK (outcome IN ('open', 'won', 'lost')),
            version BIGINT NOT NULL DEFAULT 1,
            UNIQUE (pipeline_id, position)
        );
        CREATE TABLE leads (
            id {id},
            source TEXT NOT NULL,
            received_at BIGINT NOT NULL,
            received_on INTEGER NOT NULL,
            first_response_at BIGINT,
            status TEXT NOT NULL CHECK (status IN ('new', 'in_work', 'qualified', 'disqualified', 'converted')),
            disqualify_reason TEXT,
            owner_id BIGINT REFERENCES users (id),
            name TEXT NOT NULL,
            company_name TEXT,
            phone TEXT,
            email TEXT,
            message TEXT,
            utm_source TEXT,
            utm_campaign TEXT,
            account_id BIGINT REFERENCES accounts (id),
            contact_id BIGINT REFERENCES contacts (id),
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX leads_owner_received ON leads (owner_id, received_at);
        CREATE INDEX leads_received_on ON leads (received_on);
        CREATE INDEX leads_status ON leads (status);
        CREATE INDEX leads_phone ON leads (phone);
        CREATE TABLE deals (
            id {id},
            title TEXT NOT NULL,
            account_id BIGINT NOT NULL REFERENCES accounts (id),
            contact_id BIGINT REFERENCES contacts (id),
            pipeline_id BIGINT NOT NULL REFERENCES pipelines (id),
            stage_id BIGINT NOT NULL REFERENCES stages (id),
            amount_minor BIGINT NOT NULL,
            currency TEXT NOT NULL,
            expected_close_on INTEGER,
            forecast_category TEXT NOT NULL CHECK (forecast_category IN ('commit', 'best_case', 'pipeline', 'omitted')),
            owner_id BIGINT NOT NULL REFERENCES users (id),
            status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost')),
            created_at BIGINT NOT NULL,
            closed_at BIGINT,
            closed_on INTEGER,
            loss_reason TEXT,
            lead_id BIGINT REFERENCES leads (id),
            updated_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX deals_owner_status ON deals (owner_id, status);
        CREATE INDEX deals_account ON deals (account_id);
        CREATE INDEX deals_stage ON deals (pipeline_id, stage_id);
        CREATE INDEX deals_closed_on ON deals (closed_on);
        CREATE INDEX deals_expected_close ON deals (expected_close_on);
        CREATE INDEX deals_lead ON deals (lead_id);
        CREATE TABLE deal_lines (
            id {id},
            deal_id BIGINT NOT NULL REFERENCES deals (id),
            product_id BIGINT NOT NULL REFERENCES products (id),
            quantity_milli BIGINT NOT NULL,
            unit_price_minor BIGINT NOT NULL,
            discount_minor BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX deal_lines_deal ON deal_lines (deal_id);
        CREATE TABLE deal_stage_history (
            id {id},
            deal_id BIGINT NOT NULL REFERENCES deals (id),
            stage_id BIGINT NOT NULL REFERENCES stages (id),
            entered_at BIGINT NOT NULL,
            user_id BIGINT REFERENCES users (id)
        );
        CREATE INDEX deal_stage_history_deal ON deal_stage_history (deal_id, entered_at);
        CREATE TABLE orders (
            id {id},
            number TEXT NOT NULL UNIQUE,
            account_id BIGINT NOT NULL REFERENCES accounts (id),
            deal_id BIGINT REFERENCES deals (id),
            owner_id BIGINT REFERENCES users (id),
            ordered_on INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('confirmed', 'shipped', 'invoiced', 'paid', 'cancelled')),
            currency TEXT NOT NULL,
            total_minor BIGINT NOT NULL,
            total_base_minor BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX orders_ordered_on ON orders (ordered_on);
        CREATE INDEX orders_account ON orders (account_id, ordered_on);
        CREATE INDEX orders_owner ON orders (owner_id, ordered_on);
        CREATE INDEX orders_deal ON orders (deal_id);
        CREATE TABLE order_lines (
            id {id},
            order_id BIGINT NOT NULL REFERENCES orders (id),
            product_id BIGINT NOT NULL REFERENCES products (id),
            quantity_milli BIGINT NOT NULL,
            unit_price_minor BIGINT NOT NULL,
            discount_minor BIGINT NOT NULL DEFAULT 0,
            net_minor BIGINT NOT NULL,
            net_base_minor BIGINT NOT NULL,
            cost_base_minor BIGINT NOT NULL
        );
        CREATE INDEX order_lines_order ON order_lines (order_id);
        CREATE INDEX order_lines_product ON order_lines (product_id);
        CREATE TABLE activities (
            id {id},
            kind TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'task', 'note', 'message')),
            owner_id BIGINT NOT NULL REFERENCES users (id),
            account_id BIGINT REFERENCES accounts (id),
            contact_id BIGINT REFERENCES contacts (id),
            deal_id BIGINT REFERENCES deals (id),
            lead_id BIGINT REFERENCES leads (id),
            subject TEXT NOT NULL,
            occurred_at BIGINT NOT NULL,
            occurred_on INTEGER NOT NULL,
            due_at BIGINT,
            done_at BIGINT,
            call_direction TEXT CHECK (call_direction IN ('inbound', 'outbound')),
            call_disposition TEXT CHECK (call_disposition IN ('answered', 'missed', 'busy', 'failed')),
            external_number TEXT,
            talk_seconds INTEGER,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX activities_owner ON activities (owner_id, occurred_at);
        CREATE INDEX activities_kind_day ON activities (kind, occurred_on);
        CREATE INDEX activities_account ON activities (account_id, occurred_at);
        CREATE INDEX activities_deal ON activities (deal_id);
        CREATE INDEX activities_lead ON activities (lead_id);
        CREATE TABLE audit_log (
            id {id},
            at BIGINT NOT NULL,
            user_id BIGINT REFERENCES users (id),
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id BIGINT,
            detail TEXT
        );
        CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
        CREATE INDEX audit_log_at ON audit_log (at)
        """,
        postgresOnly: ["ALTER TABLE teams ADD CONSTRAINT teams_head_fk FOREIGN KEY (head_id) REFERENCES users (id)"])
}
