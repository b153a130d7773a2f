import { describe, expect, it } from 'vitest';
import * as server from '../../common/complaints/contracts.js';
import * as web from '../../web/src/modules/complaints/limits.js';

describe('report limits of the web form', () => {
  it('equal the server contract', () => {
    expect({ ...web }).toEqual({ DESCRIPTION_MIN: server.DESCRIPTION_MIN, DESCRIPTION_MAX: server.DESCRIPTION_MAX, MAX_PHOTOS: server.MAX_PHOTOS });
  });
});
