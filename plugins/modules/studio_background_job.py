#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# The documentation of the action plugin of the same name (plugins/action/studio_background_job.py).

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_background_job
short_description: Make a private status directory for a background job, then collect the job's result
version_added: 0.1.0
description:
  - With O(prefix), makes a new private (0700) directory for the status of a task run with C(async)
    and C(poll 0), to be given to it as C(ansible_async_dir). Absolute, so that the job and the
    collecting task find the same directory whatever C($HOME) is.
  - With O(path) and O(jid), waits until that job has written its result, returns the result as
    M(ansible.builtin.async_status) would, and removes the directory, whatever the outcome.
  - Works the same in check mode, where the job runs too (the directory is the run's scratch space).
  - Runs in the controller's process, without a module process per step (an C(async_status) poll is
    one); the host must therefore have C(ansible_connection=local), as the collection's playbooks do.
options:
  prefix:
    description: The start of the new directory's name, in the controller's temporary directory.
    type: str
  path:
    description: The directory O(prefix) made, given to the job as C(ansible_async_dir).
    type: path
  jid:
    description: The job's C(ansible_job_id), as the task that started it registered it.
    type: str
  timeout:
    description: Seconds to wait for the job's result before failing.
    type: int
    default: 3600
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
- name: Make a private directory for the background job's status
  hackathon.studio.studio_background_job:
    prefix: studio-profiles-
  register: job_dir

- name: Start the long task
  hackathon.studio.studio_user_profile:
    profiles: "{{ participants }}"
  async: 7200
  poll: 0
  vars:
    ansible_async_dir: "{{ job_dir.path }}"
  register: job

- name: Collect it
  hackathon.studio.studio_background_job:
    path: "{{ job_dir.path }}"
    jid: "{{ job.ansible_job_id }}"
    timeout: 7200
  register: profiles
"""

RETURN = r"""
path:
  description: The directory made, with O(prefix).
  returned: with O(prefix)
  type: str
  sample: /tmp/studio-profiles-k2j4x1
finished:
  description: Always true once the job's result is returned, with the job's own return values beside it.
  returned: with O(jid)
  type: bool
ansible_job_id:
  description: The job collected.
  returned: with O(jid)
  type: str
"""
