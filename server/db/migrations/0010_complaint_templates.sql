-- Response templates of the complaints workspace (server/modules/complaints/templates): ready
-- answers, questions and notes staff insert and adapt; optionally tied to one category.
CREATE TABLE complaint_response_templates (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 2 AND 120),
  body text NOT NULL CHECK (length(body) BETWEEN 5 AND 2000),
  category_id uuid,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES complaint_categories (tenant_id, id)
);
-- A short list per tenant (tens of rows), read in title order; the category filter narrows it.
CREATE INDEX complaint_response_templates_list_idx ON complaint_response_templates (tenant_id, title, id);
