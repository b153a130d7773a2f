import { z } from 'zod';
import {
  AdjustmentBody,
  CatalogueDrug,
  DrugCreateBody,
  DrugPatchBody,
  DrugView,
  MinStockBody,
  PrescriptionBody,
  PrescriptionSummary,
  PrescriptionView,
  ReceiptBody,
  StockBatch,
  StockItem,
  StockMove,
} from '../../../../common/health/pharmacy.js';
import { localDate } from '../../../../common/health/rules.js';
import type { AppInstance } from '../../../app.js';
import { addDrug, drugCatalogue, listDrugs, updateDrug } from './drugs.js';
import { dispensePrescription, listPrescriptions, readPrescription, readVisitPrescription, writePrescription } from './prescriptions.js';
import { adjustBatch, drugStock, listStock, pharmacyDesk, receiveStock, setMinStock } from './stock.js';

const idParams = z.object({ id: z.uuid() });
const DrugStock = z.object({ stock: StockItem, batches: z.array(StockBatch), moves: z.array(StockMove) });

/** e-Farmasi: the drug catalogue, prescriptions at a visit, dispensing, stock and its alerts. */
export function pharmacyRoutes(app: AppInstance): void {
  const tags = ['health-pharmacy'];
  const staff = { access: { authenticated: true as const, userKind: 'staff' as const } };
  const prescribe = { access: { permission: 'health.prescribe' as const } };
  const dispense = { access: { permission: 'health.pharmacy.dispense' as const } };
  const stock = { access: { permission: 'health.pharmacy.stock' as const } };

  app.get(
    '/api/v1/health/drugs',
    {
      config: staff,
      schema: { tags, summary: 'The tenant’s drug catalogue (active drugs by name); q matches the name or code', querystring: z.object({ q: z.string().trim().max(60).optional() }), response: { 200: z.object({ items: z.array(DrugView) }) } },
    },
    async (req) => ({ items: await listDrugs(req.ctx(), req.query.q || undefined) }),
  );

  app.get(
    '/api/v1/health/drug-catalogue',
    {
      config: staff,
      schema: {
        tags,
        summary: 'The whole drug catalogue (withdrawn drugs too, after the active ones), and whether the signed-in staff member may change it (health.pharmacy.stock tenant-wide)',
        querystring: z.object({ q: z.string().trim().max(60).optional() }),
        response: { 200: z.object({ canManage: z.boolean(), items: z.array(CatalogueDrug) }) },
      },
    },
    async (req) => drugCatalogue(req.ctx(), req.query.q || undefined),
  );

  app.post(
    '/api/v1/health/drugs',
    { config: stock, schema: { tags, summary: 'Add a drug to the tenant’s catalogue (health.pharmacy.stock tenant-wide); codes are unique', body: DrugCreateBody, response: { 201: CatalogueDrug } } },
    async (req, reply) => reply.code(201).send(await addDrug(req.ctx(), req.body)),
  );

  app.patch(
    '/api/v1/health/drugs/:id',
    {
      config: stock,
      schema: {
        tags,
        summary: 'Rename a drug, correct its form, withdraw it from prescribing or bring it back; its unit only while no stock or prescription uses it',
        params: idParams,
        body: DrugPatchBody,
        response: { 200: CatalogueDrug },
      },
    },
    async (req) => updateDrug(req.ctx(), req.params.id, req.body),
  );

  app.get(
    '/api/v1/health/pharmacy/desk',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Facilities whose pharmacy the signed-in staff member dispenses at or keeps stock for',
        response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string(), dispense: z.boolean(), stock: z.boolean() })) }) },
      },
    },
    async (req) => ({ items: await pharmacyDesk(req.ctx()) }),
  );

  app.put(
    '/api/v1/health/visits/:id/prescription',
    {
      config: prescribe,
      schema: {
        tags,
        summary: 'Write the prescription of a poli visit of today (called, being served or done), or rewrite it while it is not dispensed; lines are replaced whole',
        params: idParams,
        body: PrescriptionBody,
        response: { 200: PrescriptionView, 201: PrescriptionView },
      },
    },
    async (req, reply) => {
      const { prescription, created } = await writePrescription(req.ctx(), req.params.id, req.body);
      return reply.code(created ? 201 : 200).send(prescription);
    },
  );

  app.get(
    '/api/v1/health/visits/:id/prescription',
    { config: staff, schema: { tags, summary: 'A visit’s prescription (prescribers and the pharmacy of the facility; each read is audited)', params: idParams, response: { 200: PrescriptionView } } },
    async (req) => readVisitPrescription(req.ctx(), req.params.id),
  );

  app.get(
    '/api/v1/health/facilities/:id/prescriptions',
    {
      config: dispense,
      schema: {
        tags,
        summary: 'The pharmacy’s prescriptions of a day (default today), pending first; no drugs in the list',
        params: idParams,
        querystring: z.object({ date: z.iso.date().optional(), status: z.enum(['pending', 'dispensed']).optional() }),
        response: { 200: z.object({ date: z.string(), items: z.array(PrescriptionSummary) }) },
      },
    },
    async (req) => {
      const date = req.query.date ?? localDate(req.ctx().clock.now(), req.tenant.timeZone);
      return { date, items: await listPrescriptions(req.ctx(), req.params.id, date, req.query.status) };
    },
  );

  app.get(
    '/api/v1/health/prescriptions/:id',
    { config: staff, schema: { tags, summary: 'One prescription with the stock of each drug now (each read is audited)', params: idParams, response: { 200: PrescriptionView } } },
    async (req) => readPrescription(req.ctx(), req.params.id),
  );

  app.post(
    '/api/v1/health/prescriptions/:id/dispense',
    {
      config: dispense,
      schema: {
        tags,
        summary: 'Hand over a pending prescription whole: stock decreases by batch, earliest expiry first; a line the stock cannot cover refuses it (409) and nothing changes',
        params: idParams,
        response: { 200: PrescriptionView },
      },
    },
    async (req) => dispensePrescription(req.ctx(), req.params.id),
  );

  app.get(
    '/api/v1/health/facilities/:id/stock',
    {
      config: staff,
      schema: {
        tags,
        summary: 'A facility’s stock per drug with the low-stock and near-expiry alerts (pharmacy staff of the facility)',
        params: idParams,
        querystring: z.object({
          q: z.string().trim().max(60).optional(),
          filter: z.enum(['all', 'low', 'expiring']).default('all'),
          page: z.coerce.number().int().min(1).max(1000).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({
            facility: z.object({ id: z.uuid(), name: z.string() }),
            today: z.string(),
            items: z.array(StockItem),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            alerts: z.object({ low: z.number().int(), nearExpiry: z.number().int(), expired: z.number().int() }),
          }),
        },
      },
    },
    async (req) => listStock(req.ctx(), req.params.id, { q: req.query.q || undefined, filter: req.query.filter, page: req.query.page, pageSize: req.query.pageSize }),
  );

  app.get(
    '/api/v1/health/facilities/:id/stock/:drugId',
    { config: staff, schema: { tags, summary: 'One drug’s batches at a facility and its last 50 stock moves', params: z.object({ id: z.uuid(), drugId: z.uuid() }), response: { 200: DrugStock } } },
    async (req) => drugStock(req.ctx(), req.params.id, req.params.drugId),
  );

  app.post(
    '/api/v1/health/facilities/:id/stock/receipts',
    { config: stock, schema: { tags, summary: 'Receive stock: one batch line (added to the batch of that number, or a new batch)', params: idParams, body: ReceiptBody, response: { 201: DrugStock.extend({ batchId: z.uuid() }) } } },
    async (req, reply) => reply.code(201).send(await receiveStock(req.ctx(), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/health/stock/batches/:id/adjustments',
    { config: stock, schema: { tags, summary: 'Correct a batch’s quantity with a reason (stock count, damage, expired write-off); never below zero', params: idParams, body: AdjustmentBody, response: { 200: DrugStock } } },
    async (req) => adjustBatch(req.ctx(), req.params.id, req.body),
  );

  app.put(
    '/api/v1/health/facilities/:id/stock/:drugId/min',
    { config: stock, schema: { tags, summary: 'Set the level under which the pharmacy is warned that a drug runs low', params: z.object({ id: z.uuid(), drugId: z.uuid() }), body: MinStockBody, response: { 200: DrugStock } } },
    async (req) => setMinStock(req.ctx(), req.params.id, req.params.drugId, req.body.minStock),
  );
}
