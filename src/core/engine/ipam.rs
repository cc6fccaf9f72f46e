//! The IPAM's table of Pod IPs in use: one 256-bit map per /24 block (a
//! node's podCIDR), found by a linear search over the few blocks a cluster
//! has. It replaces a `BTreeSet<Ipv4Addr>`, whose B-tree code the page paid
//! for once more just for this table.
//!
//! `Sim::allocate_pod_ip` hands addresses out as the host-local IPAM plugin
//! does on each node's podCIDR: the next free one after the last handed out
//! (containernetworking/plugins plugins/ipam/host-local/backend/allocator).

use super::Sim;
use std::net::Ipv4Addr;

#[derive(Clone, Debug, Default)]
pub(crate) struct PodIps {
    blocks: Vec<([u8; 3], [u64; 4])>,
}

fn split(ip: Ipv4Addr) -> ([u8; 3], usize, u64) {
    let [a, b, c, d] = ip.octets();
    ([a, b, c], usize::from(d / 64), 1 << (d % 64))
}

impl PodIps {
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let (block, word, bit) = split(ip);
        self.blocks.iter().any(|(b, bits)| *b == block && bits[word] & bit != 0)
    }

    pub fn insert(&mut self, ip: Ipv4Addr) {
        let (block, word, bit) = split(ip);
        match self.blocks.iter_mut().find(|(b, _)| *b == block) {
            Some((_, bits)) => bits[word] |= bit,
            None => {
                let mut bits = [0; 4];
                bits[word] = bit;
                self.blocks.push((block, bits));
            }
        }
    }

    pub fn remove(&mut self, ip: Ipv4Addr) {
        let (block, word, bit) = split(ip);
        if let Some((_, bits)) = self.blocks.iter_mut().find(|(b, _)| *b == block) {
            bits[word] &= !bit;
        }
    }

    /// Every IP in use, in no particular order.
    #[cfg(any(debug_assertions, test))]
    pub fn iter(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.blocks.iter().flat_map(|([a, b, c], bits)| {
            (0..=255u8)
                .filter(|d| bits[usize::from(d / 64)] & (1 << (d % 64)) != 0)
                .map(|d| Ipv4Addr::new(*a, *b, *c, d))
        })
    }
}

impl Sim {
    /// Host-local IPAM on the node's /24: the next free address after the
    /// last one handed out, so a freed IP is not handed straight back.
    pub(crate) fn allocate_pod_ip(&mut self, node: usize) -> Option<Ipv4Addr> {
        let n = &mut self.nodes[node];
        let base = n.cfg.pod_cidr.octets();
        for step in 1..=253u16 {
            let host = ((n.last_ip as i32 - 2 + step as i32).rem_euclid(253) + 2) as u8; // .2 ..= .254
            let ip = Ipv4Addr::new(base[0], base[1], base[2], host);
            if !self.pod_ips.contains(ip) {
                n.last_ip = host;
                self.pod_ips.insert(ip);
                return Some(ip);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_exactly_what_was_inserted_and_not_removed() {
        let mut ips = PodIps::default();
        let a = Ipv4Addr::new(10, 244, 1, 2);
        let b = Ipv4Addr::new(10, 244, 1, 200);
        let c = Ipv4Addr::new(10, 244, 2, 2);
        for ip in [a, b, c] {
            ips.insert(ip);
        }
        assert!(ips.contains(a) && ips.contains(b) && ips.contains(c));
        assert!(!ips.contains(Ipv4Addr::new(10, 244, 2, 200)));
        ips.remove(b);
        assert!(!ips.contains(b) && ips.contains(a));
        assert_eq!(ips.iter().collect::<Vec<_>>(), vec![a, c]);
    }
}
